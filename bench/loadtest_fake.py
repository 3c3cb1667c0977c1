"""The reCAPTCHA stand-in for `make loadtest`: a high score, no network, the action the form asked for.

bench/loadtest.py starts the server with `RECAPTCHA_VERIFY=bench.loadtest_fake.submit`, and its
clients send the token "bench:<action>", so comments ("comment") and topic suggestions
("suggest_topic") both verify cleanly and the policy sees a human-looking score.
"""

from django_recaptcha.client import RecaptchaResponse


def submit(recaptcha_response, private_key, remoteip):
    action = recaptcha_response.partition(":")[2] or "comment"
    return RecaptchaResponse(is_valid=True, extra_data={"score": 0.9, "hostname": "127.0.0.1"}, action=action)
