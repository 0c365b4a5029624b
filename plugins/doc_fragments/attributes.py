# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    # The attributes every module of the collection shares; a module adds only its own details.
    DOCUMENTATION = r'''
attributes:
  action_group:
    description: Use C(group/zadarma.telephony.zadarma) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - zadarma.telephony.zadarma
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
'''

    INFO_MODULE = r'''
attributes:
  action_group:
    description: Use C(group/zadarma.telephony.zadarma) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - zadarma.telephony.zadarma
  check_mode:
    description: Can run in check_mode; the module only reads, in check mode as in a normal run.
    support: full
  diff_mode:
    description: The module changes nothing, so there is no diff.
    support: N/A
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
'''
