"""Files in and out: users' files read with one-line errors, result folders written completely or not at all."""
