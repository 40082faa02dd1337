"""The care pages, one module per feature; thin: parse the request, call a selector or a
service, render."""
