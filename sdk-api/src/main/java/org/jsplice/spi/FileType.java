package org.jsplice.spi;

/** The file types of {@code st_mode}, as {@link PipeProvider#fileType(int)} reports them. */
public enum FileType {
    FIFO("a pipe or FIFO"),
    REGULAR("a regular file"),
    DIRECTORY("a directory"),
    CHARACTER_DEVICE("a character device (a terminal, /dev/null, ...)"),
    BLOCK_DEVICE("a block device"),
    SYMBOLIC_LINK("a symbolic link"),
    SOCKET("a socket"),
    UNKNOWN("a file of unknown type");

    private final String description;

    FileType(String description) {
        this.description = description;
    }

    /** The type in words, such as {@code a regular file}. */
    public String description() {
        return description;
    }

    /** The type of the {@code S_IFMT} bits of a mode. */
    public static FileType ofMode(int mode) {
        switch (mode & 0170000) {
            case 0010000: return FIFO;
            case 0100000: return REGULAR;
            case 0040000: return DIRECTORY;
            case 0020000: return CHARACTER_DEVICE;
            case 0060000: return BLOCK_DEVICE;
            case 0120000: return SYMBOLIC_LINK;
            case 0140000: return SOCKET;
            default: return UNKNOWN;
        }
    }
}
