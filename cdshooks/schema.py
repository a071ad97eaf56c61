"""The CDS Hooks token in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class CdsTokenScheme(OpenApiAuthenticationExtension):
    target_class = "cdshooks.auth.CdsTokenAuthentication"
    name = "cdsHooksJWT"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": (
                "A JWT signed by the calling EHR with its registered key (RS384 or ES384), "
                "a new one for every call: header `kid`, `typ` `JWT`; claims `iss`, `aud` "
                "(the service's URL), `exp`, `iat`, `jti`."
            ),
        }
