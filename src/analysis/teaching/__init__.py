"""The seminar pack's computations: each exercise's expected answers, computed from the datasets."""
