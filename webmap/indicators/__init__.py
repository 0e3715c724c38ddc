"""The indicator dashboard (/indikatorer, /en/indicators) with its CSV downloads.

views   the page and the CSV files
charts  the accessible SVG bar-and-line charts the page draws
"""
