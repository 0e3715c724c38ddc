"""The 'Meld interesse' form: fields, limits and messages (bokmål msgids, translated)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional


class InterestForm(FlaskForm):
    """Name, company, e-mail, need, message and consent; CSRF comes with FlaskForm."""

    site = HiddenField()
    name = StringField(
        _l("Navn"),
        validators=[
            DataRequired(message=_l("Skriv navnet ditt.")),
            Length(max=200, message=_l("Navnet kan ha høyst 200 tegn.")),
        ],
    )
    company = StringField(
        _l("Firma (valgfritt)"),
        validators=[Optional(), Length(max=200, message=_l("Firmanavnet kan ha høyst 200 tegn."))],
    )
    email = StringField(
        _l("E-post"),
        validators=[
            DataRequired(message=_l("Skriv e-postadressen din.")),
            Length(max=254, message=_l("E-postadressen er for lang.")),
            Email(
                message=_l("Skriv en gyldig e-postadresse, for eksempel navn@firma.no."),
                check_deliverability=False,
            ),
        ],
    )
    need = StringField(
        _l("Behov (areal, bruk, når)"),
        validators=[
            DataRequired(message=_l("Beskriv kort hva dere trenger.")),
            Length(max=500, message=_l("Behovet kan ha høyst 500 tegn.")),
        ],
    )
    message = TextAreaField(
        _l("Melding (valgfritt)"),
        validators=[Optional(), Length(max=4000, message=_l("Meldingen kan ha høyst 4000 tegn."))],
    )
    consent = BooleanField(
        _l("Jeg samtykker i at kommunen lagrer opplysningene for å svare på henvendelsen."),
        validators=[DataRequired(message=_l("Du må samtykke for at vi kan lagre henvendelsen."))],
    )
