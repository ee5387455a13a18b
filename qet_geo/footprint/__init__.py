"""Carbon footprints per usage, in kgCO2e per year, following Nos Gestes Climat ([NGC-model]).

The reference is the official model, pinned (``tools/ngc``): ``data/ngc-model.json`` holds the
rules the five SU usages need, extracted by ``tools/ngc/extract.mjs`` and stamped with the
model's version.
"""
