from masonite.providers import ViewProvider as StockViewProvider

from app.views.CachedView import CachedView


class ViewProvider(StockViewProvider):
    """Stock ViewProvider, binding a View that keeps compiled templates (app/views/CachedView.py)."""

    def register(self):
        super().register()
        stock = self.application.make("view")
        view = CachedView(self.application)
        environments = view._environments
        vars(view).update(vars(stock))
        view._environments = environments
        view.share({"exists": view.exists})
        self.application.bind("view", view)
