"""Settings for the HTTP bench (bench/http.py): the project's own, plus the hello-world URL and a header
that reports how many SQL queries each response cost. Nothing else differs from what gunicorn serves."""

from zhiyuan.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.querycount.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
