"""Huawei VRP (AR routers, USG firewalls) parsers."""
