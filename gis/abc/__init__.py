"""Rett virksomhet på rett sted: transit quality, ABC site classes and business mobility profiles."""
