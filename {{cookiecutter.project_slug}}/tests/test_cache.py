"""The cache is Redis: what one app process stores, every other process reads.

Each `app_python` call is a new process of the app, like `heroku run python` on a new dyno.
"""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

WITH_CACHE = "import json\nfrom wsgi import application\ncache = application.make('cache').store()\n"


def unique_key(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex}"


def test_a_value_cached_by_one_process_is_read_by_another(app_python):
    key = unique_key("greeting")
    greeting = {"text": "hello", "count": 1}

    app_python(WITH_CACHE + f"cache.put({key!r}, {greeting!r}, 60)")
    printed = app_python(WITH_CACHE + f"print(json.dumps(cache.get({key!r})))")

    assert json.loads(printed) == greeting


def test_two_processes_counting_at_once_lose_no_increment(app_python):
    key = unique_key("visits")
    count_to_100 = WITH_CACHE + f"for _ in range(100): cache.increment({key!r})"

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(app_python, [count_to_100, count_to_100]))

    assert app_python(WITH_CACHE + f"print(cache.get({key!r}))").strip() == "200"
