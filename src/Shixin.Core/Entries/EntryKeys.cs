using System.Collections.Immutable;

namespace Shixin.Core.Entries;

/// <summary>Which identifier a subject key holds.</summary>
public enum SubjectKeyKind
{
    ResidentId,
    CreditCode,
    OrganizationCode,
    Passport,
}

/// <summary>One identifier through which an entry screens, and the role it screens as.</summary>
public readonly record struct EntryKey(SubjectKeyKind Kind, string Value, string Role, bool ViaDocument)
{
    /// <summary>The text form stored in the database, e.g. <c>id:11010519491231002X</c>.</summary>
    public string Text => Prefix(Kind) + Value;

    public static string Prefix(SubjectKeyKind kind) => kind switch
    {
        SubjectKeyKind.ResidentId => "id:",
        SubjectKeyKind.CreditCode => "uscc:",
        SubjectKeyKind.OrganizationCode => "org:",
        _ => "passport:",
    };

    private static readonly SubjectKeyKind[] Kinds = Enum.GetValues<SubjectKeyKind>();

    public static bool TryParseText(string text, out SubjectKeyKind kind, out string value)
    {
        foreach (var k in Kinds)
        {
            var p = Prefix(k);
            if (text.StartsWith(p, StringComparison.Ordinal))
            {
                kind = k;
                value = text[p.Length..];
                return true;
            }
        }

        kind = default;
        value = "";
        return false;
    }
}

/// <summary>Derives every key an entry screens under: the debtor, its bound documents and its related persons.</summary>
public static class EntryKeys
{
    public static ImmutableArray<EntryKey> Of(EntryState s)
    {
        var keys = ImmutableArray.CreateBuilder<EntryKey>();
        var subject = s.Subject;
        if (subject.IsPerson)
        {
            if (subject.IdNumber is { Length: > 0 } id)
            {
                keys.Add(new EntryKey(SubjectKeyKind.ResidentId, id, RelatedRoles.Debtor, false));
            }

            // Travel documents bound to a listed person screen like the ID itself (LEGAL.md §5.1).
            foreach (var d in subject.Documents)
            {
                keys.Add(new EntryKey(SubjectKeyKind.Passport, d.Number, RelatedRoles.Debtor, true));
            }
        }
        else
        {
            if (subject.CreditCode is { Length: > 0 } cc)
            {
                keys.Add(new EntryKey(SubjectKeyKind.CreditCode, cc, RelatedRoles.Debtor, false));
            }

            // The organization code (USCC positions 9–17) is the fallback key for older records (LEGAL.md §6.2).
            if (subject.OrganizationCode is { Length: > 0 } oc)
            {
                keys.Add(new EntryKey(SubjectKeyKind.OrganizationCode, oc, RelatedRoles.Debtor, false));
            }

            foreach (var r in s.RelatedPersons)
            {
                if (!keys.Any(k => k.Kind == SubjectKeyKind.ResidentId && string.Equals(k.Value, r.IdNumber, StringComparison.Ordinal)
                    && string.Equals(k.Role, r.Role, StringComparison.Ordinal)))
                {
                    keys.Add(new EntryKey(SubjectKeyKind.ResidentId, r.IdNumber, r.Role, false));
                }
            }
        }

        return keys.ToImmutable();
    }
}
