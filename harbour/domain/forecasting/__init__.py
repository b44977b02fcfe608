"""Forecasts of children in care, unaccompanied arrivals, care leavers, staff and money.

Pure Python and numpy, no Django: a stock-and-flow (Markov) model by age and placement type,
fitted from the council's own history (`history`), run under a scenario (`scenario`) many times
to show the uncertainty (`model`), and turned into posts, costs and Home Office funding
(`money`). The Django app `harbour.forecasting` reads the history and keeps saved scenarios.
"""
