"""The short list of business types, and NACE sections mapped onto them."""

from __future__ import annotations

# id -> (bokmål, English)
BUSINESS_TYPES: dict[str, tuple[str, str]] = {
    "kontor": ("Kontor", "Office"),
    "handel": ("Handel", "Retail"),
    "lager": ("Lager og logistikk", "Warehouse and logistics"),
    "industri": ("Industri og produksjon", "Industry and production"),
    "hotell_servering": ("Hotell og servering", "Hotel and restaurant"),
    "tjenesteyting": ("Tjenesteyting (helse, undervisning, kultur)",
                      "Services (health, education, culture)"),
}

# NACE Rev. 2 section -> business type; None: no business-land type fits that section.
NACE_SECTIONS: dict[str, tuple[str | None, str, str]] = {
    "A": (None, "Jordbruk, skogbruk og fiske", "Agriculture, forestry and fishing"),
    "B": ("industri", "Bergverksdrift og utvinning", "Mining and quarrying"),
    "C": ("industri", "Industri", "Manufacturing"),
    "D": ("industri", "Elektrisitets-, gass-, damp- og varmtvannsforsyning",
          "Electricity, gas, steam and air conditioning supply"),
    "E": ("industri", "Vannforsyning, avløps- og renovasjonsvirksomhet",
          "Water supply, sewerage and waste management"),
    "F": ("lager", "Bygge- og anleggsvirksomhet", "Construction"),
    "G": ("handel", "Varehandel, reparasjon av motorvogner",
          "Wholesale and retail trade; repair of motor vehicles"),
    "H": ("lager", "Transport og lagring", "Transportation and storage"),
    "I": ("hotell_servering", "Overnattings- og serveringsvirksomhet",
          "Accommodation and food service activities"),
    "J": ("kontor", "Informasjon og kommunikasjon", "Information and communication"),
    "K": ("kontor", "Finansierings- og forsikringsvirksomhet",
          "Financial and insurance activities"),
    "L": ("kontor", "Omsetning og drift av fast eiendom", "Real estate activities"),
    "M": ("kontor", "Faglig, vitenskapelig og teknisk tjenesteyting",
          "Professional, scientific and technical activities"),
    "N": ("kontor", "Forretningsmessig tjenesteyting",
          "Administrative and support service activities"),
    "O": ("kontor", "Offentlig administrasjon og forsvar",
          "Public administration and defence"),
    "P": ("tjenesteyting", "Undervisning", "Education"),
    "Q": ("tjenesteyting", "Helse- og sosialtjenester", "Human health and social work"),
    "R": ("tjenesteyting", "Kulturell virksomhet, underholdning og fritidsaktiviteter",
          "Arts, entertainment and recreation"),
    "S": ("tjenesteyting", "Annen tjenesteyting", "Other service activities"),
    "T": (None, "Lønnet arbeid i private husholdninger", "Activities of households"),
    "U": ("kontor", "Internasjonale organisasjoner og organer",
          "Extraterritorial organisations and bodies"),
}
