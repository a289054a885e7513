"""Every CHSI photo rule checked on a frame: scores, pass/fail by policy, instructions to read out.

No Qt here. `ComplianceEngine.load().analyze(bgr)` for stills, `LiveAnalyzer` for the preview.
"""

from station.compliance.engine import ComplianceEngine
from station.compliance.live import LiveAnalyzer
from station.compliance.policy import Policy
from station.compliance.results import CHECK_IDS, LEARNED_CHECK_IDS, Analysis, CheckResult

__all__ = ["CHECK_IDS", "LEARNED_CHECK_IDS", "Analysis", "CheckResult", "ComplianceEngine", "LiveAnalyzer", "Policy"]
