"""The charts' type and colours that every chart module shares, apart from the template built on them in ``base``."""

TEXT = "#0B0C0C"
MUTED = "#505A5F"  # 7.0:1 on white
GRID = "#D9D9D9"
BADGE_STEP = 24  # pixels: the width of a two-digit marker badge and a gap
BADGE_ROW = 20  # pixels: the height of a badge and a gap, from one row of badges to the next
NARROWEST_PLOT = 260  # pixels: a plot's width on a 320-pixel phone screen; the page's badges are stacked for it
FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"
