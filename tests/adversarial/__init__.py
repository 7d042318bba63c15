"""The adversarial suite: the real `voicepkg` CLI run as a subprocess against hostile inputs,
hostile outputs, hostile endpoints and interrupts, each run time-bounded and measured."""
