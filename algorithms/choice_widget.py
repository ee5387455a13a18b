"""The widgets of the parameters made by :func:`.base.choice_parameter` and
:func:`.base.share_parameter`.

Enum parameters' values are the library's codes (static strings: ``near``, ``raking``,
``fr``); QGIS 3.22's own widget would show those codes as they are, so the algorithm dialog
and the batch dialog get a combo box showing each code's translated label (``labels`` in
the parameter's metadata) and giving the code. Share parameters' values are shares from 0
to 1 (``0.11``, what scripts and ``qgis_process`` pass); the dialogs show them as
percentages (``11,0 %``). The model designer keeps QGIS's own widgets (they can bind the
parameter to a model input), showing the codes and the shares. Imported by the Processing
dialogs only.
"""

from __future__ import annotations

from processing.gui.wrappers import DIALOG_MODELER, WidgetWrapper, dialogTypes
from qgis.gui import QgsGui
from qgis.PyQt.QtWidgets import QComboBox, QDoubleSpinBox


class _DialogWrapper(WidgetWrapper):
    """A widget of the algorithm and batch dialogs; QGIS's own in the model designer."""

    def __new__(cls, param, dialog, row=0, col=0, **kwargs):
        if dialogTypes.get(dialog.__class__.__name__) == DIALOG_MODELER:
            widget = QgsGui.processingGuiRegistry().createModelerParameterWidget(
                dialog.model, dialog.childId, param, dialog.context
            )
            widget.setDialog(dialog)
            return widget  # not an instance: __init__ is not called
        return super().__new__(cls)


class LabelledChoiceWrapper(_DialogWrapper):
    """A combo box of labels whose data are the codes."""

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


class PercentWrapper(_DialogWrapper):
    """A spin box in percent (``decimals`` of them) whose value is the share (0 to 1)."""

    def __init__(self, param, dialog, row=0, col=0, decimals=1, **kwargs):
        self.decimals = int(decimals)
        super().__init__(param, dialog, row, col, **kwargs)

    def createWidget(self, **kwargs):
        definition = self.parameterDefinition()
        spin = QDoubleSpinBox()
        spin.setDecimals(self.decimals)
        spin.setRange(100.0 * definition.minimum(), 100.0 * definition.maximum())
        spin.setSingleStep(1.0)
        spin.setSuffix(" %")
        return spin

    def setValue(self, value):
        try:
            self.widget.setValue(100.0 * float(value))
        except (TypeError, ValueError):  # nothing given, or an expression of a batch row
            return

    def value(self):
        return round(self.widget.value() / 100.0, self.decimals + 2)
