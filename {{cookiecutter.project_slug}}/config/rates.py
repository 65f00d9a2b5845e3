"""Rate Limits Config

Limits for the `throttle:<name>` route middleware (production_layer/middleware/ThrottleRequests.py).
Each is counted per client (the logged-in user, else the client IP) in Redis, so it holds
across every dyno and worker; a client over it gets a 429 with Retry-After.

A limit is one or more windows a request must all fit in, such as "20/minute,200/day"
(units: second, minute, hour, day; "100/5 minutes" works too), or "unlimited".
A value that does not parse stops the app at boot, naming the variable.
"""
{%- if cookiecutter.include_example_uploads == "y" %}

from production_layer.rates import env_rate_limit

# Starting an upload: POST /uploads and POST /uploads/presign count together. With
# MAX_DIRECT_UPLOAD_BYTES (100 MiB) the default lets one client add at most 3 GiB a minute
# and 20 GiB a day to the bucket.
UPLOADS = env_rate_limit("UPLOAD_RATE_LIMIT", "30/minute,200/day")

LIMITS = {
    "uploads": UPLOADS,
    # POST /uploads/confirm, once after each direct upload: a count of its own, the same size.
    "upload-confirmations": UPLOADS,
}
{%- else %}

# Add your own, e.g. "exports": env_rate_limit("EXPORT_RATE_LIMIT", "10/hour")
# (from production_layer.rates import env_rate_limit), then `.middleware("throttle:exports")`.
LIMITS = {}
{%- endif %}
