"""The 17 document types of the competition (``meta.csv`` order) and what each looks like.

Groups follow the seed's augmentation families: paper documents (DOC), identity cards and
passports (ID) and car photos (CAR). Titles and field names are what the generator prints and
what OCR reads; several medical forms share almost every field and differ mostly by title.
"""

from __future__ import annotations

CLASSES: tuple[str, ...] = (
    "account_number",
    "application_for_payment_of_pregnancy_medical_expenses",
    "car_dashboard",
    "confirmation_of_admission_and_discharge",
    "diagnosis",
    "driver_lisence",  # sic: the competition's spelling
    "medical_bill_receipts",
    "medical_outpatient_certificate",
    "national_id_card",
    "passport",
    "payment_confirmation",
    "pharmaceutical_receipt",
    "prescription",
    "resume",
    "statement_of_opinion",
    "vehicle_registration_certificate",
    "vehicle_registration_plate",
)

GROUP: dict[str, str] = {c: "DOC" for c in CLASSES} | {
    "driver_lisence": "ID", "national_id_card": "ID", "passport": "ID",
    "car_dashboard": "CAR", "vehicle_registration_plate": "CAR",
}

#: Title variants as printed on real forms (spacing and brackets vary between issuers).
TITLES: dict[str, tuple[str, ...]] = {
    "account_number": ("계좌번호 안내", "입금 계좌 안내", "통장 사본", "계좌 개설 확인서"),
    "application_for_payment_of_pregnancy_medical_expenses": (
        "임신·출산 진료비 지급 신청서", "임신출산 진료비 지급신청서", "국민행복카드 임신·출산 진료비 신청서"),
    "confirmation_of_admission_and_discharge": ("입·퇴원 확인서", "입퇴원 확인서", "입원 사실 확인서"),
    "diagnosis": ("진 단 서", "진단서", "진단서 (병무용)", "일반 진단서"),
    "medical_bill_receipts": ("진료비 계산서·영수증", "진료비 영수증", "외래 진료비 계산서 영수증"),
    "medical_outpatient_certificate": ("통원 확인서", "외래 진료 확인서", "통원 진료 확인서"),
    "payment_confirmation": ("진료비 납입 확인서", "납입 확인서", "진료비 납입증명서"),
    "pharmaceutical_receipt": ("약제비 계산서·영수증", "약제비 영수증", "약국 영수증"),
    "prescription": ("처 방 전", "처방전", "원외 처방전"),
    "resume": ("이 력 서", "이력서", "입사지원서 (이력서)"),
    "statement_of_opinion": ("소 견 서", "소견서", "의사 소견서"),
    "vehicle_registration_certificate": ("자동차등록증", "자동차 등록증", "자동차등록증 (제1쪽)"),
    "driver_lisence": ("자동차운전면허증", "운전면허증"),
    "national_id_card": ("주민등록증",),
    "passport": ("여권 PASSPORT", "대한민국 여권", "REPUBLIC OF KOREA 여권"),
}

#: Field labels shared by the medical forms: why OCR text alone confuses them without the title.
MEDICAL_FIELDS = ("환자 성명", "주민등록번호", "주소", "병록번호", "진료과", "진료기간", "병명", "상병코드",
                  "발행일", "의료기관 명칭", "의사 성명", "면허번호", "연락처", "담당의", "비고")

#: Fields only some forms print (each with a chance, so no single word gives the class away).
FIELDS: dict[str, tuple[str, ...]] = {
    "account_number": ("은행명", "예금주", "계좌번호", "지점", "개설일", "입금 은행", "고객번호"),
    "application_for_payment_of_pregnancy_medical_expenses": (
        "신청인", "임신 확인일", "출산 예정일", "분만 예정 의료기관", "카드 종류", "신청 금액", "다태아 여부"),
    "confirmation_of_admission_and_discharge": ("입원일", "퇴원일", "입원 기간", "병실", "퇴원 사유", "입원 일수"),
    "diagnosis": ("임상적 추정", "최종 진단", "발병일", "진단일", "치료 내용 및 향후 소견", "용도"),
    "medical_bill_receipts": ("진료 항목", "급여", "비급여", "본인부담금", "공단부담금", "진료비 총액", "납부할 금액"),
    "medical_outpatient_certificate": ("통원일", "통원 일수", "외래 진료일", "진료 내용", "확인 용도"),
    "payment_confirmation": ("납입 기간", "납입 금액", "납입자", "수납일", "수납 금액 합계", "영수 확인"),
    "pharmaceutical_receipt": ("조제일", "약품명", "투약일수", "조제료", "약품비", "약국 명칭", "약사"),
    "prescription": ("처방 의약품의 명칭", "1회 투약량", "1일 투여횟수", "총 투약일수", "용법", "조제 기간",
                     "처방 의료인"),
    "resume": ("학력 사항", "경력 사항", "자격증", "생년월일", "희망 직무", "병역", "자기소개", "휴대전화"),
    "statement_of_opinion": ("의사 소견", "향후 치료 의견", "작업 능력", "요양 기간", "소견 내용", "비고"),
    "vehicle_registration_certificate": ("자동차등록번호", "차종", "차명", "형식 및 모델연도", "차대번호",
                                         "원동기형식", "사용본거지", "소유자", "최초등록일"),
}

#: The competition's unlabelled split: judged, never trained on (even when answers label it).
HELD_OUT_SPLIT = "test"
