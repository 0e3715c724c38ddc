"""The map page (/ and /en/) and what it is built from.

page        the view
builder     the folium map: layers, popups, the layer list
controls    the texts and legend of the map's controls
background  the local background layers drawn under the overlays
search      /api/search: the app's own places by name, for the map's search box
"""
