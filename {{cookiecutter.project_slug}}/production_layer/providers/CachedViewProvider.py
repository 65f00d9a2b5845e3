"""Stock ViewProvider, binding a View that keeps compiled templates (production_layer/views/CachedView.py)."""

from masonite.providers import ViewProvider

from production_layer.views.CachedView import CachedView


class CachedViewProvider(ViewProvider):
    def register(self):
        super().register()
        stock = self.application.make("view")
        view = CachedView(self.application)
        environments = view._environments
        # Masonite internal, pinned by test_view_state_is_instance_attributes_and_load_template_sets_env.
        vars(view).update(vars(stock))
        view._environments = environments
        view.share({"exists": view.exists})
        self.application.bind("view", view)
