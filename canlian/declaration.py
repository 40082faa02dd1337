"""The project's own page: the front door, which sends every signed-in user on."""

from canlian.declarations import AppDeclaration, ScopedUrl

declaration = AppDeclaration(urls={"home": ScopedUrl(None, ok=302)})
