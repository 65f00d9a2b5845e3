from production_layer.foundation.Application import Application
from production_layer.foundation.FrameworkKernel import FrameworkKernel
from production_layer.foundation.ResponseHandler import ResponseHandler

__all__ = ["Application", "FrameworkKernel", "ResponseHandler"]
