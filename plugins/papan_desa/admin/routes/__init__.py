"""Papan Admin's blueprints, one per area; the work itself is in plain functions (:mod:`..editing`,
:mod:`..gitops`, :mod:`..uploads`). Access is checked for all of them in :mod:`..access`."""
from . import apbdes, desa, dokumen, masuk, pengguna, terbit

BLUEPRINTS = (masuk.bp, desa.bp, apbdes.bp, dokumen.bp, terbit.bp, pengguna.bp)
