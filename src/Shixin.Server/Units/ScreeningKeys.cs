using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;
using Shixin.Screening;
using CatalogKind = Shixin.Core.Catalogs.SubjectKind;
using RelatedRole = Shixin.Core.Catalogs.RelatedRole;

namespace Shixin.Server.Units;

/// <summary>Converts identifiers and roles between their domain, text and packed index forms.</summary>
public static class ScreeningKeys
{
    /// <summary>Packs a stored key text (<c>id:…</c>, <c>uscc:…</c>, <c>org:…</c>, <c>passport:…</c>); false if it does not parse.</summary>
    public static bool TryPack(string text, out SubjectKey key)
    {
        key = default;
        if (!EntryKey.TryParseText(text, out var kind, out var value))
        {
            return false;
        }

        return TryPack(kind, value, out key, out _);
    }

    /// <summary>
    /// Validates and packs an identifier given as UTF-8 bytes (the bulk path): ASCII resident IDs, credit codes and
    /// organization codes are packed without allocating; anything else goes through the string parser.
    /// </summary>
    public static bool TryPack(SubjectKeyKind kind, ReadOnlySpan<byte> utf8, out SubjectKey key, out IdentifierError? error)
    {
        key = default;
        error = null;
        if (kind != SubjectKeyKind.Passport && utf8.Length <= 64 && System.Text.Ascii.IsValid(utf8))
        {
            Span<char> chars = stackalloc char[utf8.Length];
            for (var i = 0; i < utf8.Length; i++)
            {
                chars[i] = (char)utf8[i];
            }

            switch (kind)
            {
                case SubjectKeyKind.ResidentId when ResidentId.TryPack(chars, out var id, out error):
                    key = SubjectKey.ForResidentId(id);
                    return true;
                case SubjectKeyKind.CreditCode when CreditCode.TryPack(chars, out var cc, out error):
                    key = SubjectKey.ForCreditCode(cc);
                    return true;
                case SubjectKeyKind.OrganizationCode when OrganizationCode.TryPack(chars, out var oc, out error):
                    key = SubjectKey.ForOrganizationCode(oc);
                    return true;
                default:
                    return false;
            }
        }

        return TryPack(kind, System.Text.Encoding.UTF8.GetString(utf8), out key, out error);
    }

    /// <summary>Writes <see cref="Text"/> of a key as UTF-8; resident IDs (most of any file) without allocating. Returns the bytes written.</summary>
    public static int WriteText(in SubjectKey key, Span<byte> destination)
    {
        if (key.Kind == Screening.SubjectKind.ResidentId)
        {
            Span<char> id = stackalloc char[ResidentId.Length];
            ResidentId.FormatPacked((ulong)key.Value, id);
            "id:"u8.CopyTo(destination);
            for (var i = 0; i < id.Length; i++)
            {
                destination[3 + i] = (byte)id[i];
            }

            return 3 + ResidentId.Length;
        }

        return System.Text.Encoding.UTF8.GetBytes(Text(key), destination);
    }

    /// <summary>Validates and packs a raw identifier of the given kind.</summary>
    public static bool TryPack(SubjectKeyKind kind, string? raw, out SubjectKey key, out IdentifierError? error)
    {
        key = default;
        switch (kind)
        {
            case SubjectKeyKind.ResidentId:
                if (ResidentId.TryParse(raw, out var id, out error))
                {
                    key = SubjectKey.ForResidentId(id.ToPackedUInt64());
                    return true;
                }

                return false;
            case SubjectKeyKind.CreditCode:
                if (CreditCode.TryParse(raw, out var cc, out error))
                {
                    key = SubjectKey.ForCreditCode(cc.ToPackedUInt128());
                    return true;
                }

                return false;
            case SubjectKeyKind.OrganizationCode:
                if (OrganizationCode.TryParse(raw, out var oc, out error))
                {
                    key = SubjectKey.ForOrganizationCode(oc.ToPackedUInt64());
                    return true;
                }

                return false;
            default:
                if (PassportNumber.TryParse(raw, out var pp, out error))
                {
                    key = SubjectKey.ForPassport(pp.ToPackedUInt128());
                    return true;
                }

                return false;
        }
    }

    /// <summary>The stored text of a packed key (for check records and explanations).</summary>
    public static string Text(in SubjectKey key) => key.Kind switch
    {
        Screening.SubjectKind.ResidentId => "id:" + ResidentId.FromPacked((ulong)key.Value).Value,
        Screening.SubjectKind.CreditCode => "uscc:" + CreditCode.FromPacked(key.Value).Value,
        Screening.SubjectKind.OrganizationCode => "org:" + OrganizationCode.FromPacked((ulong)key.Value).Value,
        _ => "passport:" + PassportNumber.FromPacked(key.Value).Number,
    };

    public static SubjectRole Role(string role) => role switch
    {
        RelatedRoles.Debtor => SubjectRole.Debtor,
        RelatedRoles.LegalRepresentative => SubjectRole.LegalRepresentative,
        RelatedRoles.Principal => SubjectRole.Principal,
        RelatedRoles.ActualController => SubjectRole.ActualController,
        RelatedRoles.ResponsiblePerson => SubjectRole.ResponsiblePerson,
        RelatedRoles.Director => SubjectRole.Director,
        RelatedRoles.Supervisor => SubjectRole.Supervisor,
        RelatedRoles.SeniorManager => SubjectRole.SeniorManager,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role),
    };

    /// <summary>The index's role as the catalog's role (same order, by design).</summary>
    public static RelatedRole Via(SubjectRole role) => (RelatedRole)(byte)role;

    /// <summary>Who is being checked: identifiers of people (ID, passport) or of organizations.</summary>
    public static CatalogKind CheckedKind(in SubjectKey key) =>
        key.Kind is Screening.SubjectKind.CreditCode or Screening.SubjectKind.OrganizationCode ? CatalogKind.Organization : CatalogKind.Person;
}
