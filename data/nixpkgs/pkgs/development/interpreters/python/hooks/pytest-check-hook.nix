# pytestCheckHook: runs pytest in installCheckPhase.
{ makePythonHook, pytest }:
makePythonHook {
  name = "pytest-check-hook";
  propagatedBuildInputs = [ pytest ];
} "pytestCheckPhase() { python -m pytest \"\${pytestFlags[@]}\"; }"
