package io.robustunit.data;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** The element types an IDX file can declare in the third byte of its magic number. */
@API(status = STABLE, since = "0.1")
public enum IdxType {
    UNSIGNED_BYTE(0x08, 1),
    SIGNED_BYTE(0x09, 1),
    SHORT(0x0B, 2),
    INT(0x0C, 4),
    FLOAT(0x0D, 4),
    DOUBLE(0x0E, 8);

    private final int code;
    private final int size;

    IdxType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    /** @return the type code in the magic number */
    public int code() {
        return code;
    }

    /** @return the size of one element in bytes */
    public int size() {
        return size;
    }

    static IdxType fromCode(int code) {
        for (IdxType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
