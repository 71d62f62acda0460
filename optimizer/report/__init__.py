"""Tables, figures and reports. No Pyomo here."""
