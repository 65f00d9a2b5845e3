"""Masonite's Application (the service container), inspecting each signature once per process.

The container resolves a controller's constructor and method, and anything else asked for
by type, on every request; stock Masonite calls `inspect.signature` and scans every binding
for a matching class each time. Here a function's or class's parameters are inspected once
and kept, and the binding that answered a type is tried first next time (and checked: a
rebinding under another key is still found by the full scan); hooks are looked up only
when some are registered. What is resolved, and from which binding, does not change.
"""

import inspect
import types

from masonite.foundation import Application as MasoniteApplication


class Application(MasoniteApplication):
    def __init__(self, base_path: str = None):
        super().__init__(base_path)
        self._parameters = {}
        self._binding_of_type = {}

    # Masonite internal, pinned by test_container_reads_parameters_through_get_parameters.
    def get_parameters(self, obj):
        if isinstance(obj, types.MethodType):
            key = (obj.__func__, True)
        elif isinstance(obj, (types.FunctionType, type)):
            key = (obj, False)
        else:
            return super().get_parameters(obj)
        parameters = self._parameters.get(key)
        if parameters is None:
            parameters = self._parameters[key] = tuple(super().get_parameters(obj))
        return parameters

    # Masonite internal, pinned by test_container_finds_a_typed_parameter_by_scanning_its_bindings.
    def _find_annotated_parameter(self, parameter):
        annotation = parameter.annotation
        remembered = isinstance(annotation, type) and annotation not in self.swaps
        key = self._binding_of_type.get(annotation) if remembered else None
        if key is not None and key in self.objects and self._answers(annotation, self.objects[key]):
            obj = self.objects[key]
            self.fire_hook("resolve", parameter, obj)
            return obj
        obj = super()._find_annotated_parameter(parameter)
        if remembered:
            for name, bound in self.objects.items():
                if bound is obj:
                    self._binding_of_type[annotation] = name
                    break
        return obj

    # Masonite internal, pinned by test_container_fires_hooks_only_from_its_hooks_table.
    def fire_hook(self, action, key, obj):
        # Every `make` fires its hook; most apps register none, and the stock check costs a
        # string conversion and several lookups each time.
        if self._hooks[action]:
            super().fire_hook(action, key, obj)

    @staticmethod
    def _answers(annotation, bound) -> bool:
        """The stock scan's test for whether a binding answers a parameter typed `annotation`."""
        return (
            annotation == bound
            or annotation == bound.__class__
            or (inspect.isclass(bound) and issubclass(bound, annotation))
            or issubclass(bound.__class__, annotation)
        )
