"""The widget of the enum parameters made by :func:`.base.choice_parameter`.

Their values are the library's codes (static strings: ``near``, ``raking``, ``fr``); QGIS
3.22's own widget would show those codes as they are, so the algorithm dialog and the batch
dialog get a combo box showing each code's translated label (``labels`` in the parameter's
metadata) and giving the code. The model designer keeps QGIS's own widget (it can bind the
parameter to a model input), showing the codes. Imported by the Processing dialogs only.
"""

from __future__ import annotations

from processing.gui.wrappers import DIALOG_MODELER, WidgetWrapper, dialogTypes
from qgis.gui import QgsGui
from qgis.PyQt.QtWidgets import QComboBox


class LabelledChoiceWrapper(WidgetWrapper):
    """A combo box of labels whose data are the codes."""

    def __new__(cls, param, dialog, row=0, col=0, **kwargs):
        if dialogTypes.get(dialog.__class__.__name__) == DIALOG_MODELER:
            widget = QgsGui.processingGuiRegistry().createModelerParameterWidget(
                dialog.model, dialog.childId, param, dialog.context
            )
            widget.setDialog(dialog)
            return widget  # not an instance: __init__ is not called
        return super().__new__(cls)

    def __init__(self, param, dialog, row=0, col=0, labels=None, **kwargs):
        self.labels = dict(labels or {})
        super().__init__(param, dialog, row, col, **kwargs)

    def createWidget(self, **kwargs):
        combo = QComboBox()
        for code in self.parameterDefinition().options():
            combo.addItem(self.labels.get(code, code), code)
        return combo

    def setValue(self, value):
        if value is None:
            return
        position = self.widget.findData(value)
        if position < 0 and str(value).isdigit() and int(value) < self.widget.count():
            position = int(value)  # an index, as these parameters took before
        if position >= 0:
            self.widget.setCurrentIndex(position)

    def value(self):
        return self.widget.currentData()
