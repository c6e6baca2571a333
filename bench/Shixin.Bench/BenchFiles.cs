using System.Text;
using Shixin.Screening;

namespace Shixin.Bench;

/// <summary>The text files the HTTP clients and the baselines read (all from the same generated list).</summary>
public static class BenchFiles
{
    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>Every distinct listed identifier, one a line (bare endpoint's HashSet, PostgreSQL table, Redis set).</summary>
    public static int WriteListed(SyntheticList list, string path)
    {
        ArgumentNullException.ThrowIfNull(list);
        var keys = list.DistinctKeys();
        // Distinct as text too: an organization code and a passport can read the same (9 characters each).
        var written = new HashSet<string>(keys.Length, StringComparer.Ordinal);
        using var w = new StreamWriter(path, false, Utf8, 1 << 20);
        foreach (var k in keys)
        {
            var raw = SyntheticList.Raw(k);
            if (written.Add(raw))
            {
                w.Write(raw);
                w.Write('\n');
            }
        }

        return written.Count;
    }

    /// <summary>Redis protocol: SADD listed v1 … v1000 per command (for <c>redis-cli --pipe</c>).</summary>
    public static void WriteRedisLoad(string listedPath, string path)
    {
        using var r = new StreamReader(listedPath, Utf8, false, 1 << 20);
        using var w = new StreamWriter(path, false, Utf8, 1 << 20);
        var batch = new List<string>(1000);
        while (true)
        {
            batch.Clear();
            while (batch.Count < 1000 && r.ReadLine() is { } line)
            {
                batch.Add(line);
            }

            if (batch.Count == 0)
            {
                break;
            }

            w.Write("*" + (batch.Count + 2).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\n$4\r\nSADD\r\n$6\r\nlisted\r\n");
            foreach (var v in batch)
            {
                w.Write("$" + Utf8.GetByteCount(v).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\n" + v + "\r\n");
            }
        }
    }

    /// <summary>Subjects to check, <c>field&lt;TAB&gt;value&lt;TAB&gt;hit|miss</c> a line (wrk, pgbench probes, HTTP batches).</summary>
    public static void WriteProbe(SubjectKey[] keys, bool[] isHit, string path)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(isHit);
        using var w = new StreamWriter(path, false, Utf8, 1 << 20);
        for (int i = 0; i < keys.Length; i++)
        {
            w.Write(SyntheticList.Field(keys[i].Kind));
            w.Write('\t');
            w.Write(SyntheticList.Raw(keys[i]));
            w.Write(isHit[i] ? "\thit\n" : "\tmiss\n");
        }
    }

    /// <summary>The batch file as CSV for <c>/checks/batch</c> (one identifier column filled a line) and as plain ids for PostgreSQL COPY.</summary>
    public static void WriteBatch(SubjectKey[] keys, string csvPath, string idsPath)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var csv = new StreamWriter(csvPath, false, Utf8, 1 << 20);
        using var ids = new StreamWriter(idsPath, false, Utf8, 1 << 20);
        csv.Write("idNumber,creditCode,organizationCode,passport\n");
        foreach (var k in keys)
        {
            var raw = SyntheticList.Raw(k);
            ids.Write(raw);
            ids.Write('\n');
            switch (k.Kind)
            {
                case SubjectKind.ResidentId:
                    csv.Write(raw);
                    csv.Write(",,,\n");
                    break;
                case SubjectKind.CreditCode:
                    csv.Write(',');
                    csv.Write(raw);
                    csv.Write(",,\n");
                    break;
                case SubjectKind.OrganizationCode:
                    csv.Write(",,");
                    csv.Write(raw);
                    csv.Write(",\n");
                    break;
                default:
                    csv.Write(",,,");
                    csv.Write(raw);
                    csv.Write('\n');
                    break;
            }
        }
    }
}
