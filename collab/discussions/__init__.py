"""The post-lesson discussion of a session: posts by protocol section, replies, quotes and agreed actions."""
