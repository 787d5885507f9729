"""What a correct audit of the simulated world's catalog says: the reason an auditor reads for every
case that does not pass (a fragment of the message). Shared by the end-to-end audit and the judges'
unit tests on saved captures."""

from __future__ import annotations

P = "https://tinh-mau.gov.vn/"


def c(host: str) -> str:
    return f"https://{host}.tinh-mau.gov.vn/"


# The reason an auditor reads, for every case that does not pass (a fragment of the message).
MESSAGES: dict[tuple[str, str], str] = {
    (c("sxd"), "3.1"): "Mã giám sát EMC có trong mã nguồn trang chủ nhưng không được thực thi (bị chú thích",
    (c("sxd"), "3.2a"): "Không thấy nhãn 'Đã kết nối EMC' trên trang chủ",
    (c("syt"), "3.1"): "mã website EMC (setSiteId) bị để trống",
    (c("syt"), "3.2c"): "Trang chủ không có liên kết hiển thị về cổng Cổng TTĐT tỉnh Mẫu (tinh-mau.gov.vn)",
    (c("snv"), "3.1"): "tập lệnh EMC bị trình duyệt chặn do nội dung hỗn hợp (http:// trên trang https://)",
    (c("snv"), "3.2a"): "Không thấy nhãn 'Đã kết nối EMC' trên trang chủ",
    (c("sgd"), "3.1"): "mã website EMC trên trang là '101', khác mã đã đăng ký '106'",
    (c("skh"), "3.2a"): "Nhãn 'Đã kết nối EMC' có trên trang nhưng bị ẩn (display:none)",
    (c("stp"), "3.2a"): "bị ẩn (visibility:hidden)",
    (c("skhcn"), "3.2a"): "bị ẩn (opacity:0)",
    (c("svhttdl"), "3.2a"): "bị ẩn (kích thước bằng 0",
    (c("snnmt"), "3.1"): "địa chỉ nhận dữ liệu (setTrackerUrl) là 'https://analytics.tinh-mau.gov.vn/matomo.php', "
                          "không phải máy chủ EMC https://f-emc.ngsp.gov.vn/tracking",
    (c("sdttg"), "3.1"): "tập lệnh giám sát được tải từ https://cdn.tinh-mau.gov.vn/js/gov-tracking.min.js, "
                          "không phải từ máy chủ EMC",
    (c("xa-a"), "3.1"): "máy chủ trả về mã lỗi HTTP 404",
    (c("xa-b"), "3.2a"): "máy chủ trả về mã lỗi HTTP 503",
    (c("xa-c"), "3.1"): "quá thời gian chờ (8 giây) khi tải trang chủ",
    (c("xa-d"), "3.1"): "máy chủ từ chối kết nối",
    ("https://xa-e.khong-ton-tai.invalid/", "3.1"): "không phân giải được tên miền (lỗi DNS)",
    (P, "3.2b"): "Trang chủ cổng thiếu liên kết hiển thị đến 2/20 trang thành phần: "
                 "Sở Kế hoạch và Đầu tư (skh.tinh-mau.gov.vn); "
                 "Sở Tư pháp (stp.tinh-mau.gov.vn) [có liên kết nhưng bị ẩn: display:none]",
    ("https://bo-mau.gov.vn/", "3.1"): "Không tìm thấy mã giám sát EMC trên trang chủ",
    ("https://bo-mau.gov.vn/", "3.2a"): "Không thấy nhãn 'Đã kết nối EMC' trên trang chủ",
    ("https://cuc-a.bo-mau.gov.vn/", "3.2c"): "Trang chủ không có liên kết hiển thị về cổng",
    ("https://tinh-loi.gov.vn/", "3.2b"): "máy chủ trả về mã lỗi HTTP 500",
}
