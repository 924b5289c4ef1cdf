"""The server-rendered pages outside Dash: the log-in form and the 403 page.

Plain HTML (every value escaped), styled by the app's own stylesheet, so that signing in
works before any of Dash's scripts load.
"""

from __future__ import annotations

from markupsafe import escape

from tracker import PRODUCT_NAME

_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {product}</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<header class="site-header"><div class="site-header__inner">
<span class="site-header__name">{product}</span></div></header>
<main id="main" class="page">
"""
_FOOT = "</main>\n</body>\n</html>\n"


def _page(title: str, body: str) -> str:
    return _HEAD.format(title=escape(title), product=escape(PRODUCT_NAME)) + body + _FOOT


def login_html(
    token: str, *, next_path: str = "/", error: str | None = None, email: str = ""
) -> str:
    alert = (
        f'<p class="form-error" role="alert" id="login-error">{escape(error)}</p>' if error else ""
    )
    body = f"""<section class="message login">
<h1>Sign in</h1>
<p>Use the e-mail address and password your administrator gave you.</p>
{alert}
<form method="post" action="/login" class="login-form">
<input type="hidden" name="csrf_token" value="{escape(token)}">
<input type="hidden" name="next" value="{escape(next_path)}">
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" required
 value="{escape(email)}"{' aria-describedby="login-error"' if error else ""}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" class="button">Sign in</button>
</form>
</section>
"""
    return _page("Sign in", body)


def forbidden_html(message: str, title: str = "Access denied") -> str:
    """A refused page: "Access denied" (403), or for an admin "Authority not found" (404)."""
    body = f"""<section class="message">
<h1>{escape(title)}</h1>
<p>{escape(message)}</p>
<a class="button-link" href="/">Back to overview</a>
</section>
"""
    return _page(title, body)
