"""Photo → anime with local models that keeps the person: one recipe of stages.

1. img2img from the photo, at a denoise per style (``strength``);
2. ControlNet line art from the photo, so the drawing keeps its contours, and pose,
   so it keeps the body (when a person is found), each at a weight per style;
3. IP-Adapter Plus-Face from the face crop, so the face stays theirs;
4. the face detailer.

The models of stages 2 and 3 are the creator's: ``SAKUGA_CONTROLNET_LINEART``,
``SAKUGA_CONTROLNET_POSE`` and ``SAKUGA_IP_ADAPTER`` name them (a name in the model
folder, or a path). A stage without its model is left out, and the recipe in the
image's parameters shows which ran. Any option the request sets wins over the
recipe's: ``--control`` replaces its controls, ``--ip-adapter`` its adapter,
``--detail none`` turns the detailer off, ``--strength`` sets the denoise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from sakuga.engines.base import EngineRequest, Task
from sakuga.settings import settings


@dataclass(frozen=True)
class Stages:
    """One style's weights for the recipe's stages."""

    lineart: float  # ControlNet line-art weight
    pose: float  # ControlNet pose weight
    face: float  # IP-Adapter scale


#: Per style: looser line art where the style redraws more (fantasy, cute), the face
#: held hardest where the style stays nearest the photo (cinematic).
STAGES: Final = {
    "cute": Stages(lineart=0.6, pose=0.7, face=0.5),
    "cinematic": Stages(lineart=0.8, pose=0.8, face=0.65),
    "webtoon": Stages(lineart=0.75, pose=0.7, face=0.55),
    "fantasy": Stages(lineart=0.55, pose=0.75, face=0.5),
    "cyberpunk": Stages(lineart=0.7, pose=0.75, face=0.55),
}
DEFAULT_STAGES: Final = Stages(lineart=0.7, pose=0.75, face=0.6)


def photo_options(request: EngineRequest) -> dict[str, Any]:
    """``request``'s options with the photo recipe's stages added where it sets none
    (photo → anime only; other tasks keep their options as they are)."""
    options = dict(request.options)
    if request.task is not Task.PHOTO_TO_ANIME:
        return options
    stages = STAGES.get(request.spec.preset_name or "", DEFAULT_STAGES)
    if "controls" not in options:
        controls = []
        if lineart := settings().controlnet_lineart:
            controls.append({"kind": "lineart", "model": lineart, "weight": stages.lineart})
        if (pose := settings().controlnet_pose) and _has_person(request):
            controls.append({"kind": "pose", "model": pose, "weight": stages.pose})
        if controls:
            options["controls"] = controls
    if "ip_adapter" not in options and (adapter := settings().ip_adapter):
        options["ip_adapter"] = adapter
        options.setdefault("ip_adapter_scale", stages.face)
    options.setdefault("detail", "face")
    return options


def _has_person(request: EngineRequest) -> bool:
    """Whether the rig finds a body in the photo (a pose map of a cat is empty)."""
    from sakuga.imaging.rig import read_rig

    assert request.image is not None
    rig = read_rig(np.asarray(request.image.convert("RGB")), pose=True)
    return rig is not None and rig.pose is not None
