"""Chinese typesetting rules that printed documents follow."""

# Quotation marks by nesting level: “outer”, ‘inner’, “third”, ...
OPENING, CLOSING = ("“", "‘"), ("”", "’")


def cjk_quotes(text: str, depth: int = 0) -> str:
    """Quotation marks as Chinese documents nest them: “华亭‘四点半课堂’”.

    Straight and curly double quotes and curly single quotes are read as opening or closing a quotation,
    then written with the mark of their nesting level. `depth` 1 is for text that will stand inside a
    quotation already (the template writes the outer marks). A closing mark with nothing open is kept, so an
    apostrophe in English text survives.
    """
    out: list[str] = []
    open_marks: list[str] = []
    for char in text:
        straight_closes = char == '"' and open_marks and open_marks[-1] == '"'
        if char in "“‘" or (char == '"' and not straight_closes):
            out.append(OPENING[(depth + len(open_marks)) % 2])
            open_marks.append(char)
        elif (char in "”’" or straight_closes) and open_marks:
            open_marks.pop()
            out.append(CLOSING[(depth + len(open_marks)) % 2])
        else:
            out.append(char)
    return "".join(out)
