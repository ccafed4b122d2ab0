"""The claims the test provider sends: the organ's employee number, e-mail and phone, whatever the scopes."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below goes out, in the ID token and at the userinfo endpoint

    def get_additional_claims(self, request):
        user = request.user
        claims = getattr(user, "claims", None)
        return {
            "email": user.email,
            "name": user.get_full_name(),
            "employee_number": claims.employee_number if claims else "",
            "phone_number": claims.phone_number if claims else "",
        }
