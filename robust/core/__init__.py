"""The pure core: indicator tables, scoring models, objective weights and the vectorised scorer.

Nothing here reads or writes files, draws random numbers, prints or plots.
"""
