"""Exceptions Config

Used only when APP_DEBUG is on. Everything that would reach the network from
an error page (package-update checks, Stack Overflow look-ups) is off.
"""

OPTIONS = {
    "editor": "vscode",
    "search_url": "",
    "links": {"doc": "", "repo": ""},
    "stack": {"offset": 10, "shorten": True},
    "hide_sensitive_data": True,
}

HANDLERS = {
    "dumps": True,
    "solutions": {"stackoverflow": False, "possible_solutions": True},
    "recommendations": {"packages_updates": False},
}
