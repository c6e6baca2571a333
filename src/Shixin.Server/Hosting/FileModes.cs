using System.Runtime.InteropServices;

namespace Shixin.Server.Hosting;

/// <summary>
/// The data directory holds full ID numbers (the SQLite database and its -wal/-shm files, the units' batch-result
/// files), keys (admin.key, demo-keys.txt) and the Data Protection key ring: only the service account may read them
/// (issue 11 F13). New files are created 0600 and directories 0700 by setting the process umask to 077 before anything
/// is opened; files left by earlier versions are narrowed at startup.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class FileModes
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Sets the umask to 077 and narrows what already exists in the data directory.</summary>
    public static void Protect(string dataDirectory)
    {
        NativeMethods.umask(0x3F); // 077: SQLite, Data Protection and our own writers all create files through the process
        Directory.CreateDirectory(dataDirectory, OwnerDirectory);
        Narrow(new DirectoryInfo(dataDirectory));
    }

    private static void Narrow(DirectoryInfo dir)
    {
        try
        {
            File.SetUnixFileMode(dir.FullName, OwnerDirectory);
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is not null)
                {
                    continue; // a link points elsewhere: the operator's choice
                }

                if (entry is DirectoryInfo sub)
                {
                    Narrow(sub);
                }
                else if ((entry.UnixFileMode & ~OwnerFile & ~UnixFileMode.UserExecute) != 0)
                {
                    File.SetUnixFileMode(entry.FullName, entry.UnixFileMode & (OwnerFile | UnixFileMode.UserExecute));
                }
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // Files owned by someone else (a mounted volume): leave them; new files are still private.
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SA1300, IDE1006 // the C library's name
        public static extern uint umask(uint mask);
#pragma warning restore SA1300, IDE1006
    }
}
