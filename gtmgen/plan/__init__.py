"""What a valid playbook implies: phase dates, the dated calendar, hiring priorities, budget."""
