"""The demo app of the Softr blocks at /demo, outside prod: a static page that uses only the
public GraphQL API, and a sign-in stand-in that gives it a token for one of a few demo users."""
