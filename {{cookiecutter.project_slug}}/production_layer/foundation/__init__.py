from production_layer.foundation.FrameworkKernel import FrameworkKernel

__all__ = ["FrameworkKernel"]
