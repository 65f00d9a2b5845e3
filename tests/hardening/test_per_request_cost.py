"""Defect 14: every cookie rendered re-read the configuration."""

COUNT_CONFIG_READS = """
from masonite.configuration.Configuration import Configuration
if not hasattr(Configuration, '_original_get'):
    Configuration._original_get = Configuration.get
reads = []
def _counting_get(self, path, default=None):
    reads.append(path)
    return Configuration._original_get(self, path, default)
Configuration.get = _counting_get

def call(path, cookie=''):
    environ = {'REQUEST_METHOD': 'GET', 'PATH_INFO': path, 'QUERY_STRING': 'key=user&value=alice',
               'SERVER_NAME': 'localhost', 'SERVER_PORT': '80', 'wsgi.url_scheme': 'http',
               'wsgi.input': __import__('io').BytesIO(), 'HTTP_COOKIE': cookie, 'REMOTE_ADDR': '127.0.0.1'}
    statuses = []
    body = b''.join(application(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    return statuses[0]

call('/_probe/set')
reads.clear()
statuses = [call('/_probe/set') for _ in range(10)]
result = [statuses, len(reads), sorted(set(reads))]
"""


def config_reads_per_request(target) -> tuple[float, list[str]]:
    statuses, count, paths = target.run(COUNT_CONFIG_READS)
    assert all(status.startswith("200") for status in statuses), statuses
    return count / 10, paths


def test_configuration_is_read_once_per_process_not_per_request(app, stock):
    stock_reads, _ = config_reads_per_request(stock)
    app_reads, paths = config_reads_per_request(app)
    assert stock_reads >= 10, f"stock re-reads configuration for every cookie ({stock_reads}/request)"
    assert app_reads == 0, f"{app_reads} configuration reads per request: {paths}"
