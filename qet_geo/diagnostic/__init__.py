"""The rest of the QeT diagnostic: "Espace et Mode de Vie" (EMdV) and Nos Gestes Climat
(NGC) answers, imported in the shapes they come in, linked to the Sphères d'Usages
profiles and analysed per profile and for the neighbourhood (docs/diagnostic.md)."""
