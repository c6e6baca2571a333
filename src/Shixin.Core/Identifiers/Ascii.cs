namespace Shixin.Core.Identifiers;

/// <summary>Culture-free character helpers: identifiers are ordinal ASCII data (STYLE.md habit 1).</summary>
internal static class Ascii
{
    public static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    public static bool IsUpper(char c) => (uint)(c - 'A') <= 'Z' - 'A';

    public static char ToUpper(char c) => (uint)(c - 'a') <= 'z' - 'a' ? (char)(c - 32) : c;

    /// <summary>Parses <paramref name="s"/> as decimal digits already known to be ASCII digits.</summary>
    public static int Digits(ReadOnlySpan<char> s)
    {
        int n = 0;
        foreach (char c in s)
        {
            n = (n * 10) + (c - '0');
        }

        return n;
    }

    /// <summary>Shows a character in a message; control characters as U+XXXX so messages stay readable.</summary>
    public static string Show(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c)
            ? string.Concat("U+", ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture))
            : new string(c, 1);
}
