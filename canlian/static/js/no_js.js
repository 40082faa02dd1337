// Loaded (not deferred) first in <body>: with script on, the folded menu starts folded and
// never flashes open. A file, not an inline script, for the Content-Security-Policy.
document.body.classList.remove("no-js");
