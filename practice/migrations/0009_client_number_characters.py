"""Client numbers of letters, digits and hyphens only (`validate_client_number`).

A validator, not a constraint, and no data migration: a number saved before is part of the
client's paper trail and is not rewritten behind the practitioner's back. It stays as it
is until the client is next saved, when the form or the API asks for a valid one. Nothing
builds a file or path from it any more (protocol PDFs are named by ids).
"""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("practice", "0008_access_log_seq_hmac"),
    ]

    operations = [
        migrations.AlterField(
            model_name="client",
            name="client_number",
            field=models.CharField(
                max_length=20,
                validators=[
                    django.core.validators.RegexValidator(
                        "\\A[A-Za-z0-9-]+\\Z",
                        "A client number has only letters, digits and hyphens (-), such as "
                        "00042 or AB-17.",
                        code="invalid_client_number",
                    )
                ],
                verbose_name="client number",
            ),
        ),
    ]
