"""Browser-test entry while app/main.py does not list the phone and meeting views yet: app/main.py as it stands, run
with both views added to its navigation and the layout CSS and landing rule applied as proposed for main.py."""
import runpy
from pathlib import Path

import streamlit as st

from app import layout
from app.i18n import t

APP = Path(__file__).resolve().parents[1] / "app"
NEW_PAGES = [("phone", ":material/smartphone:"), ("meeting", ":material/co_present:")]


def _with_new_pages(pages, hidden: bool):
    """The navigation's pages with the phone and meeting views added to its first section (the dashboard)."""
    lang = st.session_state.get("lang", "zh")
    groups = pages if isinstance(pages, dict) else {"": pages}
    first = next(iter(groups.values()))
    if any(p.url_path in dict(NEW_PAGES) for group in groups.values() for p in group):
        return pages
    landing = layout.landing_page()
    if hidden:           # the login form answers at every page's address, the landing page's at /
        login = next(p for p in first)._page
        extra = [st.Page(login, title=t("page.login", lang), url_path=name, default=name == landing)
                 for name, _ in NEW_PAGES]
    else:
        extra = [st.Page(APP / "views" / f"{name}.py", title=t(f"page.{name}", lang), icon=icon, url_path=name,
                         default=name == landing) for name, icon in NEW_PAGES]
    if landing == "phone":
        for p in first:
            p._default = False
    first.extend(extra)
    return pages


def _patch_streamlit() -> None:
    """st.Page resolves main.py's relative page paths against app/; st.navigation adds the new views."""
    page, navigation = st.Page, st.navigation

    def app_page(target, **kwargs):
        if isinstance(target, str) and not Path(target).is_absolute():
            target = APP / target
        return page(target, **kwargs)

    def app_navigation(pages, **kwargs):
        hidden = kwargs.get("position") == "hidden"
        if not hidden:
            layout.apply_layout_css()
        current = navigation(_with_new_pages(pages, hidden), **kwargs)
        if not hidden:
            layout.land_on_phone(current)
        return current

    app_navigation.patched = True
    st.Page, st.navigation = app_page, app_navigation


if not getattr(st.navigation, "patched", False):
    _patch_streamlit()
runpy.run_path(str(APP / "main.py"), run_name="__main__")
