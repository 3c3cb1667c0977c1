"""A stand-in for Google's reCAPTCHA verification, for the comment POST benchmark and the loopback cluster.

bench/run.py and cluster/harness.py start their servers with `RECAPTCHA_VERIFY=bench.fake_recaptcha.submit`;
submissions/captcha.py calls this instead of django-recaptcha's client, so no request leaves the
machine. It answers like Google does for a clean, human-looking token.
"""

from django_recaptcha.client import RecaptchaResponse


def submit(recaptcha_response, private_key, remoteip):
    return RecaptchaResponse(is_valid=True, extra_data={"score": 0.9, "hostname": "127.0.0.1"}, action="comment")
