"""What every workbook Canlian writes shares: its content type, and its header row's look."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The header row of every sheet: bold on light blue, boxed.
HEADER_FORMAT = {"bold": True, "bg_color": "#DDEBF7", "border": 1}
