"""The plan itself: starting it, its co-editing page, its text export, its history and saved versions."""
